;; -*- lexical-binding: t -*-
;; Eglot 1.9 probe for TestRealClients (lsp/clients_test.go), after
;; reference/editor-clients.md §2: flymake diagnostics, a plain-text hover,
;; a quick fix at an empty region (no context diagnostics), and the split,
;; which eglot gets as lockwise.applyFix -> workspace/applyEdit.
;; Env: SERVER, ROOT, FILE, OUT (JSON result).
(require 'eglot)
(require 'json)
(defvar probe-root (getenv "ROOT"))
(defvar probe-file (getenv "FILE"))
(defvar probe-out (getenv "OUT"))
(defvar probe-steps nil)
(defun probe-step (name ok &optional detail)
  (push (list (cons 'name name) (cons 'ok (if ok t :json-false)) (cons 'detail (format "%S" detail))) probe-steps))
(defun probe-wait (pred secs)
  (let ((deadline (+ (float-time) secs)) (ok nil))
    (while (and (not (setq ok (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    ok))
(defun probe-finish ()
  (with-temp-file probe-out (insert (json-encode (reverse probe-steps))))
  (kill-emacs 0))
(fset (quote y-or-n-p) (lambda (&rest _) t)) ; eglot asks before editing a file not visited (the new migration)
(define-derived-mode probe-lang-mode prog-mode "Probe")
(setq eglot-confirm-server-initiated-edits nil
      eglot-sync-connect 10
      flymake-no-changes-timeout 0.1
      last-nonmenu-event ?\r)
(condition-case err
    (progn
      (find-file probe-file)
      (probe-lang-mode)
      (eglot (list 'probe-lang-mode) (cons 'transient probe-root) 'eglot-lsp-server (list (getenv "SERVER")) "elixir")
      (flymake-start)
      (probe-step "diag" (probe-wait (lambda () (= 1 (length (flymake-diagnostics)))) 10)
                  (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
      (goto-char (point-min))
      (search-forward "index(:users")
      (backward-char 9)
      (let* ((server (eglot--current-server-or-lose))
             (hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (contents (plist-get hover :contents)))
        (probe-step "plaintext hover" (and (equal (plist-get contents :kind) "plaintext")
                                           (string-match-p "SHARE lock on users" (plist-get contents :value)))
                    contents))
      ;; quick fix with an empty region: eglot sends context.diagnostics = []
      (eglot-code-actions (point) (point) "quickfix" t)
      (probe-step "quickfix applied" (probe-wait (lambda () (save-excursion (goto-char (point-min)) (search-forward "concurrently: true" nil t))) 5)
                  (buffer-string))
      ;; undo it through another edit so the split is offered again
      (goto-char (point-min))
      (search-forward ", concurrently: true")
      (replace-match "")
      (probe-step "diag back" (probe-wait (lambda () (= 1 (length (flymake-diagnostics)))) 10))
      (goto-char (point-min))
      (search-forward "index(:users")
      (eglot-code-actions (point) (point) "refactor.rewrite.expandContract" t)
      (let ((newfile (expand-file-name "priv/repo/migrations/20240101000001_index_users_concurrently.exs" probe-root)))
        (probe-step "split: new file buffer" (probe-wait (lambda () (get-file-buffer newfile)) 5))
        (probe-step "split: new file content"
                    (and (get-file-buffer newfile)
                         (with-current-buffer (get-file-buffer newfile) (string-match-p "create index(:users" (buffer-string))))
                    (and (get-file-buffer newfile) (with-current-buffer (get-file-buffer newfile) (buffer-string)))))
      (probe-step "split: line removed" (probe-wait (lambda () (not (save-excursion (goto-char (point-min)) (search-forward "index(:users" nil t)))) 5)
                  (buffer-string))
      (save-buffer)
      (eglot-shutdown (eglot--current-server-or-lose))
      (probe-finish))
  (error (probe-step "error" nil err) (probe-finish)))
