defmodule MyApp.Repo.Migrations.BackfillRoles do
  use Ecto.Migration
  import Ecto.Query
  alias MyApp.Accounts.User
  alias MyApp.{Billing, Orders.Order}

  def up do
    # é 𐐀: multi-byte text before a finding
    from(u in User, where: is_nil(u.role)) |> repo().update_all(set: [role: "member"]) # want "MyApp.Accounts.User is an application module \\(used here as a query source and a struct and a function call\\): the migration runs the code of MyApp.Accounts.User as it is when the migration runs"
    repo().insert!(%User{name: "admin", role: "admin"})
    %User{} |> User.changeset(%{name: "bot"}) |> repo().insert!()
    Billing.recalculate_totals() # want "MyApp.Billing is an application module \\(used here as a function call\\)"
    Order |> repo().all() # want "MyApp.Orders.Order is an application module \\(used here as a repo argument\\)"
    repo().delete_all(MyApp.Session) # want "MyApp.Session is an application module \\(used here as a repo argument\\)"
  end

  def down, do: :ok
end
