revision = 'emacs-lock-must-be-ignored'
