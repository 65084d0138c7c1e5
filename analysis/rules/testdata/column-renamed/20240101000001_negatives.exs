defmodule Shop.Repo.Migrations.RenameNegatives do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :code, :string
    end

    rename table(:coupons), :code, to: :token
    # Renaming an index or a constraint breaks no query.
    rename index(:users, [:email], name: :users_email_index), to: :users_email_idx
    execute "ALTER TABLE users RENAME CONSTRAINT users_age_check TO users_age_positive", "ALTER TABLE users RENAME CONSTRAINT users_age_positive TO users_age_check"
  end
end
