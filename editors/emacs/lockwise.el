;;; lockwise.el --- What your Ecto migrations do to PostgreSQL  -*- lexical-binding: t -*-

;; URL: https://github.com/lockwise/lockwise
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages, tools, sql

;;; Commentary:

;; lockwise analyses Ecto migrations: the SQL Ecto sends, the lock each
;; statement takes, what it blocks, and safer expand-contract steps.
;; This package gives Emacs two ways to use it:
;;
;; 1. Eglot (the full language server: diagnostics, hover, code actions).
;;    Migration files (priv/<repo>/migrations/*.exs, also in umbrella apps)
;;    open in `lockwise-migration-mode', derived from `elixir-ts-mode' or
;;    `elixir-mode' when one is available (so their hooks, indentation and
;;    highlighting apply), and that mode is registered in
;;    `eglot-server-programs' to run "lockwise lsp":
;;
;;      (require 'lockwise)
;;      (add-hook 'lockwise-migration-mode-hook #'eglot-ensure)
;;
;;    Eglot runs one server per buffer: in migration files lockwise
;;    replaces ElixirLS/Lexical/Expert.
;;
;; 2. Flymake only, for those who keep another Elixir server in Eglot for
;;    migrations too: `lockwise-flymake-mode' runs
;;    "lockwise check --format gcc FILE" on the saved file.
;;
;;      (setq lockwise-register-with-eglot nil) ; before (require 'lockwise)
;;      (require 'lockwise)
;;      (add-hook 'lockwise-migration-mode-hook #'lockwise-flymake-mode)

;;; Code:

(require 'cl-lib)
(require 'flymake)

(defgroup lockwise nil
  "What Ecto migrations do to a production PostgreSQL."
  :group 'tools
  :prefix "lockwise-")

(defcustom lockwise-program "lockwise"
  "The lockwise executable, a name found on variable `exec-path' or a full path.
Install it with: go install github.com/lockwise/lockwise/cmd/lockwise@latest"
  :type 'string)

(defcustom lockwise-register-with-eglot t
  "Whether loading lockwise registers \"lockwise lsp\" in `eglot-server-programs'.
Set it to nil before loading lockwise to keep another Elixir server
in Eglot for migration files and use `lockwise-flymake-mode'."
  :type 'boolean)

(defcustom lockwise-postgres-version nil
  "The PostgreSQL major version of production, or nil for the project's.
nil leaves it to .lockwise.toml (default 15)."
  :type '(choice (const :tag "From .lockwise.toml" nil) integer))

(defcustom lockwise-rules nil
  "Rule severities: an alist of (RULE-ID . SEVERITY).
SEVERITY is one of \"error\", \"warning\", \"info\", \"hint\" or \"off\";
for example ((\"lock-timeout-missing\" . \"off\"))."
  :type '(alist :key-type string :value-type string))

(defcustom lockwise-lock-hints 'default
  "Whether to show each operation's lock as a code lens."
  :type '(choice (const :tag "Server default (on)" default) boolean))

(defcustom lockwise-assume-utc 'default
  "Whether timestamp columns are assumed to hold UTC.
It decides whether timestamp -> timestamptz rewrites the table."
  :type '(choice (const :tag "Server default (yes)" default) boolean))

;;;; The major mode

;; The parent is chosen once, at load time: `elixir-ts-mode' when its
;; tree-sitter grammar is installed (Emacs 30+), `elixir-mode' when the
;; package is there, `prog-mode' otherwise (Emacs 28 ships no Elixir mode).
;; Through the alias `derived-mode-p' still sees the real parent.
(defalias 'lockwise--parent-mode
  (cond ((and (fboundp 'elixir-ts-mode) (fboundp 'treesit-ready-p)
              (funcall 'treesit-ready-p 'elixir t))
         'elixir-ts-mode)
        ((fboundp 'elixir-mode) 'elixir-mode)
        (t 'prog-mode)))

;;;###autoload
(define-derived-mode lockwise-migration-mode lockwise--parent-mode "Migration"
  "Major mode for Ecto migration files, analysed by lockwise.
It is the Elixir mode in use with lockwise's Eglot registration and
commands on top: \\[lockwise-show-sql] and \\[lockwise-explain]."
  (when (eq (symbol-function 'lockwise--parent-mode) 'prog-mode)
    ;; Enough of Elixir for comments, which lockwise's suppressions use.
    (setq-local comment-start "# ")
    (setq-local comment-start-skip "#+\\s-*")
    (modify-syntax-entry ?# "<" lockwise-migration-mode-syntax-table)
    (modify-syntax-entry ?\n ">" lockwise-migration-mode-syntax-table)
    (modify-syntax-entry ?_ "_" lockwise-migration-mode-syntax-table)
    (modify-syntax-entry ?: "_" lockwise-migration-mode-syntax-table)))

(define-key lockwise-migration-mode-map (kbd "C-c C-l s") #'lockwise-show-sql)
(define-key lockwise-migration-mode-map (kbd "C-c C-l e") #'lockwise-explain)

;;;###autoload
(defconst lockwise-migration-regexp "/priv/[^/]+/migrations/[^/]+\\.exs\\'"
  "Files whose name matches this regexp are Ecto migrations.
It covers priv/<repo>/migrations of an app and of umbrella apps
\(apps/<app>/priv/<repo>/migrations).")

;;;###autoload
(defun lockwise-migration-file-p (&optional file)
  "Whether FILE (default: the visited file) is an Ecto migration."
  (let ((file (or file buffer-file-name)))
    (and file (string-match-p lockwise-migration-regexp file))))

;; Prepended, so that it wins over a plain \\.exs\\' entry.
;;;###autoload
(add-to-list 'auto-mode-alist (cons lockwise-migration-regexp 'lockwise-migration-mode))

;;;; Eglot

(defvar eglot-server-programs)
(defvar eglot-lsp-context)

(defun lockwise--settings ()
  "The lockwise settings set in Emacs, as a plist for JSON (camelCase keys)."
  (append
   (when lockwise-postgres-version
     (list :postgresVersion lockwise-postgres-version))
   (when lockwise-rules
     (list :rules (cl-loop for (id . severity) in lockwise-rules
                           append (list (intern (concat ":" id)) severity))))
   (unless (eq lockwise-lock-hints 'default)
     (list :lockHints (if lockwise-lock-hints t :json-false)))
   (unless (eq lockwise-assume-utc 'default)
     (list :assumeUtc (if lockwise-assume-utc t :json-false)))))

(defun lockwise--executable ()
  "The full path of `lockwise-program', or a `user-error' saying how to install it."
  (or (executable-find lockwise-program)
      (user-error "lockwise: `%s' not found on exec-path; install it with `go install github.com/lockwise/lockwise/cmd/lockwise@latest' or set `lockwise-program'"
                  lockwise-program)))

(defun lockwise--eglot-contact (&optional _interactive)
  "The Eglot contact for lockwise: the command and its initialization options.
The settings go in initializationOptions (Eglot 1.9 answers
workspace/configuration only from `eglot-workspace-configuration')."
  (list (lockwise--executable) "lsp"
        :initializationOptions (lambda (_server) (or (lockwise--settings) (make-hash-table)))))

(defun lockwise--project-root (dir)
  "The mix project of the migration directory DIR, or nil.
An app of an umbrella (apps/<app>) belongs to the umbrella."
  (let ((dir (file-name-as-directory (expand-file-name dir))))
    (when (string-match "\\`\\(.*\\)/priv/[^/]+/migrations/\\'" dir)
      (let* ((app (match-string 1 dir))
             (umbrella (and (string-match "\\`\\(.*\\)/apps/[^/]+\\'" app)
                            (match-string 1 app))))
        (cond ((and umbrella (file-exists-p (expand-file-name "mix.exs" umbrella))) umbrella)
              ((locate-dominating-file app "mix.exs"))
              (t app))))))

(defun lockwise--project-find (dir)
  "Find the project of DIR for Eglot when no version control claims it.
Without it, Eglot would make the migrations directory itself the
workspace root, and the server would see no other migration."
  (when (and (bound-and-true-p eglot-lsp-context)
             (derived-mode-p 'lockwise-migration-mode))
    (let ((root (lockwise--project-root dir)))
      (and root (cons 'transient (file-name-as-directory root))))))

(with-eval-after-load 'eglot
  (when lockwise-register-with-eglot
    ;; The extra parentheses around the mode spec are needed by Eglot 1.9,
    ;; which otherwise takes :language-id and "elixir" for major modes.
    (add-to-list 'eglot-server-programs
                 '(((lockwise-migration-mode :language-id "elixir")) . lockwise--eglot-contact))
    ;; After project-try-vc: a Git repository still gives its root.
    (add-hook 'project-find-functions #'lockwise--project-find 90)))

;;;; Flymake

(defvar-local lockwise--flymake-proc nil
  "The running \"lockwise check\" of this buffer.")

(defun lockwise--parse-gcc (output source file)
  "Flymake diagnostics for SOURCE from OUTPUT, the gcc format of FILE.
Lines look like path:line:col: severity: message [rule-id]."
  (let (diags)
    (dolist (line (split-string output "\n" t))
      (when (string-match "\\`\\(.+\\):\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)\\'" line)
        (let ((path (match-string 1 line))
              (lnum (string-to-number (match-string 2 line)))
              (col (string-to-number (match-string 3 line)))
              (sev (match-string 4 line))
              (msg (match-string 5 line)))
          (when (file-equal-p path file)
            (let ((region (flymake-diag-region source lnum col)))
              (when region
                (push (flymake-make-diagnostic
                       source (car region) (cdr region)
                       (pcase sev ("error" :error) ("warning" :warning) (_ :note))
                       (concat "lockwise: " msg))
                      diags)))))))
    (nreverse diags)))

;; Only the newest run of a live buffer reports (flymake's contract).
(defun lockwise--flymake-sentinel (proc source file report-fn)
  "Report the finished \"lockwise check\" PROC of SOURCE visiting FILE to REPORT-FN."
  (when (memq (process-status proc) '(exit signal))
    (let ((output (with-current-buffer (process-buffer proc) (buffer-string))))
      (kill-buffer (process-buffer proc))
      (when (and (buffer-live-p source)
                 (eq proc (buffer-local-value 'lockwise--flymake-proc source)))
        (if (zerop (process-exit-status proc))
            (funcall report-fn (lockwise--parse-gcc output source file))
          (funcall report-fn :panic
                   :explanation (format "lockwise check exited %d: %s"
                                        (process-exit-status proc) (string-trim output))))))))

(defun lockwise-flymake (report-fn &rest _args)
  "Flymake backend: \"lockwise check --format gcc\" on the visited file.
lockwise reads files, not buffers, so it runs on the saved file:
while the buffer is modified the diagnostics of the last save stay.
REPORT-FN is Flymake's callback."
  (when (process-live-p lockwise--flymake-proc)
    (kill-process lockwise--flymake-proc))
  (let ((source (current-buffer))
        (file buffer-file-name)
        (program (executable-find lockwise-program)))
    (cond
     ((not program)
      (funcall report-fn :panic
               :explanation (format "lockwise: `%s' not found; install it with `go install github.com/lockwise/lockwise/cmd/lockwise@latest'"
                                    lockwise-program)))
     ((or (not file) (buffer-modified-p))
      ;; Nothing on disk to check yet: report nothing new, and Flymake
      ;; keeps the last diagnostics, moved along with the edits.
      nil)
     (t
      (let ((default-directory (file-name-directory file)))
        (setq lockwise--flymake-proc
              (make-process
               :name "lockwise-flymake" :noquery t :connection-type 'pipe
               ;; stderr goes to the same buffer: only matching lines count.
               :buffer (generate-new-buffer " *lockwise-flymake*")
               :command (list program "check" "--format" "gcc" "--fail-on" "none" file)
               :sentinel (lambda (proc _event)
                           (lockwise--flymake-sentinel proc source file report-fn)))))))))

;;;###autoload
(define-minor-mode lockwise-flymake-mode
  "Show lockwise's findings through Flymake, beside any Eglot server.
The check runs on the saved file (see `lockwise-flymake')."
  :lighter nil
  (cond
   (lockwise-flymake-mode
    (add-hook 'flymake-diagnostic-functions #'lockwise-flymake nil t)
    (add-hook 'eglot-managed-mode-hook #'lockwise--flymake-readd nil t)
    (flymake-mode 1))
   (t
    (remove-hook 'flymake-diagnostic-functions #'lockwise-flymake t)
    (remove-hook 'eglot-managed-mode-hook #'lockwise--flymake-readd t)
    (when (process-live-p lockwise--flymake-proc)
      (kill-process lockwise--flymake-proc)))))

(defun lockwise--flymake-readd ()
  "Put `lockwise-flymake' back after Eglot set its own backend list.
Eglot replaces `flymake-diagnostic-functions' in the buffers it manages."
  (when lockwise-flymake-mode
    (add-hook 'flymake-diagnostic-functions #'lockwise-flymake nil t)))

;;;; Commands

(defun lockwise--run-to-buffer (name args mode)
  "Run lockwise with ARGS on the visited file and show it in buffer NAME in MODE."
  (let ((file (or buffer-file-name (user-error "This buffer visits no file")))
        (program (lockwise--executable))
        (buf (get-buffer-create name)))
    (with-current-buffer buf
      (let ((inhibit-read-only t))
        (erase-buffer)
        (apply #'process-file program nil t nil (append args (list file)))
        (goto-char (point-min))
        (funcall mode)
        (setq buffer-read-only t)))
    (display-buffer buf)))

(defun lockwise-show-sql ()
  "Show the SQL statements Ecto sends for this migration (\"lockwise sql\")."
  (interactive)
  (lockwise--run-to-buffer "*lockwise sql*" '("sql")
                           (if (fboundp 'sql-mode) 'sql-mode 'fundamental-mode)))

(defun lockwise-explain ()
  "Show the Migration Report of this migration (\"lockwise explain\")."
  (interactive)
  (lockwise--run-to-buffer "*lockwise explain*" '("explain")
                           (if (fboundp 'gfm-view-mode) 'gfm-view-mode 'text-mode)))

(provide 'lockwise)
;;; lockwise.el ends here
