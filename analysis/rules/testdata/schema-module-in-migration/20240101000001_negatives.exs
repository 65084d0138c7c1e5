defmodule MyApp.Repo.Migrations.Negatives do
  use Ecto.Migration
  import Ecto.Query
  alias MyApp.Repo.Migrations.Helpers

  # Declarations run no code of the module they name.
  @behaviour MyApp.Migration
  @moduledoc "Backfills roles"

  # A schema defined in the migration file is frozen with it.
  defmodule User do
    use Ecto.Schema

    schema "users" do
      field :role, :string
    end
  end

  def up do
    from(u in "users", where: is_nil(u.role)) |> repo().update_all(set: [role: "member"])
    repo().insert_all("users", [%{name: "admin", role: "admin", inserted_at: DateTime.utc_now()}])
    from(u in User, where: u.role == "x") |> repo().update_all(set: [role: "y"])
    repo().insert!(%User{role: "bot"})
    MyApp.Repo.update_all("orders", set: [archived: false])
    Helpers.backfill("orders")
    Enum.each([1, 2], fn _ -> :ok end)
    %{a: 1} |> Map.put(:b, 2)
  end

  def down, do: :ok
end
