defmodule Demo.Repo.Migrations.AlterUsers do
  use Ecto.Migration

  def change do
    alter table(:users) do
      add :nickname, :string
      add :login_count, :integer, default: 0, null: false
      add :manager_id, references(:users)
      add :backup_org_id, references(:orgs, on_delete: :nilify_all, validate: false)
      add :flag_id, references(:flags, type: :serial)
      add :phone, :string
      add :uid, :uuid, default: fragment("gen_random_uuid()"), null: false
    end
  end
end
