;;; emacs_e2e.el --- TestEmacs (emacs_test.go)  -*- lexical-binding: t -*-
;; Runs in `emacs --batch -l THIS' (not -Q: Debian's site-start puts
;; elpa-eglot on the load-path) and uses editors/emacs/lockwise.el as a
;; user's init would: (require 'lockwise), eglot-ensure from the mode hook,
;; lockwise-flymake-mode beside Eglot. Every check is a step in the JSON
;; written to $OUT; Go asserts them and the file on disk.
;; Env: LOCKWISE_EL (directory of lockwise.el), MIGRATION, OTHER, ROOT, OUT.
(require 'json)
(require 'eglot)
(require 'markdown-mode nil t) ; Eglot 1.9 asks for markdown hovers only with it
(add-to-list 'load-path (getenv "LOCKWISE_EL"))
(require 'lockwise)

(defvar e2e-steps nil)
(defvar e2e-messages nil)
(defun e2e-step (name ok &optional detail)
  (push `((name . ,name) (ok . ,(if ok t :json-false)) (detail . ,(format "%S" detail))) e2e-steps)
  ok)
(defun e2e-wait (pred secs)
  "Poll PRED, running process filters and timers, for at most SECS seconds."
  (let ((deadline (+ (float-time) secs)) ok)
    (while (and (not (setq ok (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    ok))
(defun e2e-finish ()
  (with-temp-file (getenv "OUT")
    (insert (json-encode `((steps . ,(vconcat (reverse e2e-steps)))
                           (messages . ,(vconcat e2e-messages))))))
  (kill-emacs 0))

;; Batch Emacs never reads inotify events (they are input events for the
;; command loop): once a directory is watched, the inotify descriptor stays
;; readable, accept-process-output spins at 100% CPU and process sentinels
;; (the Flymake backend's) starve until the wait ends. The server asks for
;; file watches (workspace/didChangeWatchedFiles), so Eglot's watches are
;; made inert here; interactive Emacs handles them.
(defvar e2e-watches 0)
(advice-add 'file-notify-add-watch :override
            (lambda (&rest _) (list 'e2e-inert-watch (cl-incf e2e-watches))))

;; Batch has no user to answer: edits from the server are accepted, and
;; the code action menu is answered by title below.
(setq eglot-confirm-server-initiated-edits nil
      eglot-sync-connect 15
      flymake-no-changes-timeout 0.1 ; Eglot pushes to Flymake only when non-nil
      eldoc-documentation-strategy #'eldoc-documentation-compose
      last-nonmenu-event ?\r)
(advice-add 'message :before (lambda (fmt &rest args) (when fmt (push (apply #'format-message fmt args) e2e-messages))))

(defun e2e-diags (pred)
  (cl-remove-if-not pred (flymake-diagnostics)))
(defun e2e-eglot-index-diag-p (d)
  (and (eq (flymake-diagnostic-backend d) 'eglot-flymake-backend)
       (string-match-p "index-not-concurrently" (flymake-diagnostic-text d))))
(defun e2e-cli-index-diag-p (d)
  (and (eq (flymake-diagnostic-backend d) 'lockwise-flymake)
       (string-match-p "\\[index-not-concurrently\\]" (flymake-diagnostic-text d))))

(condition-case err
    (progn
      (setq lockwise-rules '(("lock-timeout-missing" . "off")))
      (add-hook 'lockwise-migration-mode-hook #'eglot-ensure)
      (add-hook 'lockwise-migration-mode-hook #'lockwise-flymake-mode)

      (find-file (getenv "OTHER"))
      (e2e-step "mix.exs not in lockwise-migration-mode" (not (eq major-mode 'lockwise-migration-mode)) major-mode)

      (find-file (getenv "MIGRATION"))
      (e2e-step "lockwise-migration-mode from auto-mode-alist" (eq major-mode 'lockwise-migration-mode) major-mode)
      ;; eglot-ensure connects from post-command-hook: batch has no command
      ;; loop, so run the hook as the loop would after find-file.
      (run-hooks 'post-command-hook)
      (e2e-step "eglot connected" (e2e-wait (lambda () (eglot-current-server)) 15))
      (let ((server (eglot-current-server)))
        (e2e-step "workspace root is the mix project"
                  (and server (equal (file-name-as-directory (getenv "ROOT"))
                                     (file-name-as-directory (expand-file-name (project-root (eglot--project server))))))
                  (and server (eglot--project server))))
      (e2e-step "both Flymake backends" (and (memq 'eglot-flymake-backend flymake-diagnostic-functions)
                                            (memq 'lockwise-flymake flymake-diagnostic-functions))
                flymake-diagnostic-functions)
      (flymake-start)
      (e2e-step "diagnostic index-not-concurrently (eglot)"
                (e2e-wait (lambda () (e2e-diags #'e2e-eglot-index-diag-p)) 15)
                (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
      (e2e-step "diagnostic [index-not-concurrently] (lockwise check)"
                (e2e-wait (lambda () (e2e-diags #'e2e-cli-index-diag-p)) 15)
                (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
      (e2e-step "setting lockwise-rules applied (no lock-timeout-missing from eglot)"
                (not (e2e-diags (lambda (d) (and (eq (flymake-diagnostic-backend d) 'eglot-flymake-backend)
                                                 (string-match-p "lock-timeout-missing" (flymake-diagnostic-text d))))))
                (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))

      ;; Hover through eldoc, as Emacs shows it at point.
      (goto-char (point-min))
      (search-forward "create index(:users")
      (goto-char (match-beginning 0))
      (let (hover)
        (eglot-hover-eldoc-function (lambda (doc &rest _) (setq hover doc)))
        (e2e-step "hover shows the SHARE lock"
                  (e2e-wait (lambda () (and (stringp hover) (string-match-p "SHARE" hover))) 15)
                  hover))

      ;; The quick fix through the interactive command, the menu answered by title.
      (let ((offered nil)
            (tick (buffer-modified-tick)))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &rest _)
                     (let ((titles (mapcar (lambda (c) (if (consp c) (car c) c)) collection)))
                       (setq offered titles)
                       (or (cl-find-if (lambda (s) (string-match-p "Create the index concurrently" s)) titles)
                           (car titles))))))
          (eglot-code-actions (line-beginning-position) (line-end-position) "quickfix" t))
        (e2e-step "code action applied"
                  (e2e-wait (lambda () (and (/= tick (buffer-modified-tick))
                                            (save-excursion (goto-char (point-min))
                                                            (search-forward "concurrently: true" nil t))))
                            15)
                  (list offered (buffer-string))))
      (save-buffer)
      (e2e-step "eglot diagnostic gone after the fix"
                (e2e-wait (lambda () (not (e2e-diags #'e2e-eglot-index-diag-p))) 15)
                (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
      (e2e-step "lockwise check diagnostic gone after saving"
                (e2e-wait (lambda () (not (e2e-diags #'e2e-cli-index-diag-p))) 15)
                (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
      ;; Umbrella apps: the project is the umbrella (mix.exs above apps/).
      (let* ((umbrella (file-name-as-directory (make-temp-file "umbrella" t)))
             (dir (expand-file-name "apps/billing/priv/repo/migrations/" umbrella)))
        (make-directory dir t)
        (write-region "" nil (expand-file-name "mix.exs" umbrella))
        (write-region "" nil (expand-file-name "apps/billing/mix.exs" umbrella))
        (e2e-step "umbrella: project root"
                  (equal (file-name-as-directory (lockwise--project-root dir)) umbrella)
                  (lockwise--project-root dir))
        (delete-directory umbrella t))
      (eglot-shutdown (eglot-current-server))
      (e2e-step "eglot shut down" (not (eglot-current-server)))
      (e2e-finish))
  (error (e2e-step "no Lisp error" nil err) (e2e-finish)))
