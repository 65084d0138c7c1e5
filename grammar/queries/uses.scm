; use Some.Module [, opts] anywhere: tells whether a file holds an Ecto migration.
(call
  target: (identifier) @use
  (arguments . (alias) @module)
  (#eq? @use "use"))
