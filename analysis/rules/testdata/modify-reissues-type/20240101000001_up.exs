defmodule Shop.Repo.Migrations.ModifyNullUp do
  use Ecto.Migration

  def up do
    alter table(:users) do
      modify :locale, :string, null: true, from: :string # want "`modify :locale` sends ALTER COLUMN \"locale\" TYPE varchar\\(255\\)"
    end

    alter table(:users) do
      modify :nickname, :string, null: true # want "`modify :nickname` always sends ALTER COLUMN \"nickname\" TYPE varchar\\(255\\), even to change only null:/default:"
      add :score, :integer
    end
  end

  def down do
    alter table(:users) do
      modify :locale, :string, null: false, from: :string
    end
  end
end
