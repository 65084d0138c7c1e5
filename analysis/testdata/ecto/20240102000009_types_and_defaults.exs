defmodule Demo.Repo.Migrations.TypesAndDefaults do
  use Ecto.Migration

  def change do
    create table(:widgets, primary_key: [name: :widget_id, type: :identity, start_value: 100, increment: 20]) do
      add :tags, {:array, :string}, default: []
      add :codes, {:array, :integer}, default: [1, 2]
      add :labels, {:array, :string}, default: ["a", "b'c"]
      add :price, :decimal, precision: 10, scale: 2, default: -1.50
      add :ratio, :float, default: 0.25
      add :flag, :boolean, default: false, null: false
      add :note, :string, size: 40, default: "it's", collation: "C"
      add :settings, {:map, :string}
      add :blob, :binary
      add :ext_id, :id
      add :opens_at, :time
      add :seen_at, :utc_datetime_usec, precision: 3
      add :legacy, :"int unsigned"
      add :doubled, :integer, generated: "ALWAYS AS (ext_id * 2) STORED"
      add :big, :bigint, default: 1_000_000
      add :parent_id, references(:widgets, column: :widget_id, type: :identity, with: [tenant_id: :tenant_id], match: :full, on_delete: {:nilify, [:parent_id]}, on_update: :update_all)
      add :owner_id, references(:users, on_delete: :default_all, on_update: :restrict, prefix: nil)
      timestamps(type: :utc_datetime, inserted_at: false)
    end
  end
end
