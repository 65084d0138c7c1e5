; Every comment, for suppression directives and test expectations.
(comment) @comment
