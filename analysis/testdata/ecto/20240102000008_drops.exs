defmodule Demo.Repo.Migrations.Drops do
  use Ecto.Migration

  def up do
    drop table(:old_sessions)
    drop_if_exists table(:legacy, prefix: "archive"), mode: :cascade
    drop constraint(:users, "users_age_check")
    drop index(:users, [:email], concurrently: true)
  end

  def down do
    create table(:old_sessions) do
      add :token, :binary
      timestamps(type: :utc_datetime_usec, default: fragment("now()"))
    end
  end
end
