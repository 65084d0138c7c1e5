defmodule Demo.Repo.Migrations.ModifyWithoutFrom do
  use Ecto.Migration

  def up do
    alter table(:users) do
      modify :ratio, :decimal
      modify :bio, :text, null: false, default: ""
      modify :kind, :string, null: true
      add_if_not_exists :fax, :string
    end

    alter table(:users) do
      remove :blob
      remove :phone, :string
      remove :flag_id, references(:flags)
    end

    alter table(:users) do
      modify :kind, :string, default: nil
      add :x, :string, default: nil
      add :y, :integer, primary_key: true
    end
  end
end
