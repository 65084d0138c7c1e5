# settings: postgres_version=10
defmodule Shop.Repo.Migrations.DefaultsNegativesOnTen do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :percent, :integer, default: 10
    end

    alter table(:coupons) do
      add :active, :boolean, default: true
    end

    alter table(:users) do
      # No default, or DEFAULT NULL: nothing to write.
      add :nickname, :string
      add :locale, :string, default: nil
      # Volatile defaults rewrite on every version: volatile-default reports them.
      add :uid, :uuid, default: fragment("gen_random_uuid()")
      add :number, :bigserial
    end

    # SET DEFAULT never touches existing rows.
    execute "ALTER TABLE products ALTER COLUMN active SET DEFAULT true", "ALTER TABLE products ALTER COLUMN active DROP DEFAULT"
  end
end
