defmodule Demo.Repo.Migrations.ModifyUsers do
  use Ecto.Migration

  def change do
    alter table(:users) do
      modify :name, :text, from: {:string, size: 100}
      modify :age, :bigint, null: false, default: 18, from: {:integer, null: true, default: 0}
      modify :score, :decimal, precision: 12, scale: 2, from: {:decimal, precision: 10, scale: 2}
      modify :org_id, references(:orgs, on_delete: :nilify_all),
        from: references(:orgs, on_delete: :delete_all, on_update: :update_all)
      modify :nickname, :string, size: 50, from: :string
      modify :naive, :naive_datetime, from: :utc_datetime
    end
  end
end
