defmodule Demo.Repo.Migrations.CreateTables do
  use Ecto.Migration

  def change do
    create table(:orgs) do
      add :name, :string
      timestamps()
    end

    create table(:sessions, primary_key: false) do
      add :id, :uuid, primary_key: true
      add :user_id, references(:users, on_delete: :nilify_all)
      add :lax_user_id, references(:users, name: :sessions_lax_fk, validate: false)
      add :data, :map
      timestamps(inserted_at: :created_at, updated_at: false)
    end

    create table(:events, prefix: "audit", primary_key: [type: :identity], options: "WITH (fillfactor = 90)") do
      add :user_id, references(:users, prefix: "public", on_delete: :restrict)
      add :org_id, :bigint
    end

    create table("things", primary_key: false) do
      add :uuid, :uuid, primary_key: true, default: fragment("gen_random_uuid()")
      add :bits, :bitstring, default: <<5::4>>
      add :amount, :numeric, precision: 5
      add :d, :duration, fields: "HOUR TO SECOND", precision: 3
      add :meta, :map, default: %{a: 1}
    end

    create_if_not_exists table(:flags) do
      add :name, :string
    end

    create table(:users, comment: "app users") do
      add :name, :string, size: 100
      add :bio, :text, comment: "about me"
    end
  end
end
