defmodule App.Repo.Migrations.DropTable do
  use Ecto.Migration
  @disable_ddl_transaction true

  def change do
    drop table(:legacy_events) # want "cannot reverse migration command: drop table legacy_events.*half rolled back"
  end
end
