defmodule Shop.Repo.Migrations.TypeChanges do
  use Ecto.Migration

  def change do
    alter table(:users) do
      # é 𐐀: multi-byte text before a finding
      modify :age, :bigint, from: :integer # want "ALTER COLUMN \"users\".\"age\" TYPE bigint rewrites the whole table and rebuilds all its indexes while it holds an ACCESS EXCLUSIVE lock on \"users\" \\(integer -> bigint rewrites the table\\)"
      modify :name, :string, size: 50, from: {:string, size: 100} # want "varchar\\(100\\) -> varchar\\(50\\) rewrites the table"
      modify :email, :text, from: :string
      modify :bio, :string, from: :text # want "text -> varchar\\(255\\) rewrites the table"
    end

    alter table(:orders) do
      modify :seen_at, :timestamptz, from: :naive_datetime # want "does not rewrite the table \\(timestamp\\(0\\) -> timestamptz with the session TimeZone UTC \\(assume_utc\\): no rewrite, but the column's indexes are rebuilt\\), but it rebuilds each index on the column \\(if it has any\\)"
    end
  end
end
