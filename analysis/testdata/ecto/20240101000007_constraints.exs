defmodule Demo.Repo.Migrations.Constraints do
  use Ecto.Migration

  def change do
    create constraint(:users, :age_must_be_positive, check: "age >= 0")
    create constraint("users", "login_count_nonneg", check: "login_count >= 0", validate: false, comment: "lazy")
    create constraint(:events, :events_org_excl, exclude: ~s|btree (org_id WITH =)|, prefix: "audit")
  end
end
