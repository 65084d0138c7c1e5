defmodule Demo.Repo.Migrations.CallStyles do
  use Ecto.Migration

  # Every way real migrations write the same calls.
  def change do
    create(table(:posts)) do
      add(:title, :string, null: false)
      add :body, :text
      add(:author_id, references("users", on_delete: :delete_all, type: :binary_id), null: false)
    end

    create(index(:posts, [:title]))
    create index("posts", ["lower(title)"], name: "posts_lower_title_idx")
    index(:posts, [:author_id]) |> create()
    :posts |> index([:inserted_at]) |> create()
    create unique_index(:posts, [:slug], where: "deleted_at IS NULL", concurrently: false)
    create index(:posts, :body, using: "gin")
    create index(:posts, [asc_nulls_last: :title, desc: "upper(body)"])
    alter table(:posts), do: add(:views, :integer, default: 0)
    create index(:posts, ["(data->>'k')", "lower(email)"])
  end
end
