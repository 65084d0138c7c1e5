defmodule Demo.Repo.Migrations.Indexes do
  use Ecto.Migration

  def change do
    create index(:users, [:email_address])
    create unique_index(:users, [:org_id, :email_address])
    create index(:users, [desc: :inserted_at])
    create index(:users, [:settings], using: :gin)
    create index(:users, [:org_id], include: [:name], where: "active")
    create index(:users, [:nickname], unique: true, nulls_distinct: false)
    create index(:users, [:age], options: "fillfactor = 70", comment: "age idx")
    create index(:events, [:user_id], prefix: "audit")
    create_if_not_exists index(:users, [:kind])
    create index(:memberships, [:role], only: true)
  end
end
