defmodule App.Repo.Migrations.AddAndValidate do
  use Ecto.Migration

  def change do
    create constraint(:products, :price_must_be_positive, check: "price > 0", validate: false)

    alter table(:posts) do
      add :user_id, references(:users, validate: false)
    end

    # é 𐐀: multi-byte text before a finding
    execute "ALTER TABLE products VALIDATE CONSTRAINT price_must_be_positive", "" # want "VALIDATE CONSTRAINT \"price_must_be_positive\" runs in the transaction that added it NOT VALID: the ACCESS EXCLUSIVE lock taken on \"products\" by the ADD is held until COMMIT, so every read and write on the table waits through the whole validation scan"
    execute "ALTER TABLE posts VALIDATE CONSTRAINT posts_user_id_fkey", "" # want "ACCESS EXCLUSIVE lock taken on \"posts\""
  end
end
