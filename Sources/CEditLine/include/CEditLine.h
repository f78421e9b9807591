#ifndef SMSH_CEDITLINE_H
#define SMSH_CEDITLINE_H

/// libedit (its native histedit interface), loaded with dlopen the first time the REPL needs it, so
/// scripts (`smsh FILE`, `smsh -e CODE`) start without loading libedit and the four
/// libraries it pulls in. Every function here is safe to call when libedit is missing:
/// then lines are read plainly from stdin (no editing, no history).

/// Tab completion, with readline's rl_attempted_completion_function contract.
typedef char **(*smsh_edit_completion_fn)(const char *text, int start, int end);

/// Loads libedit (once). 1 when line editing is available, else 0 with a reason in
/// smsh_edit_error().
int smsh_edit_load(void);
/// Why libedit could not be loaded, or NULL.
const char *smsh_edit_error(void);

/// Names the program for ~/.editrc, sets the completion word breaks and function, and
/// initialises libedit with emacs keys and readline's extra bindings (Ctrl-R searches
/// history). Once; strings are copied.
void smsh_edit_configure(const char *name, const char *word_breaks, smsh_edit_completion_fn completion);
/// Reads one line (malloc'd, without its newline); NULL at end of input or on Ctrl-C.
char *smsh_edit_readline(const char *prompt);
void smsh_edit_add_history(const char *line);
/// Inside a completion: the whole line typed so far, or NULL.
const char *smsh_edit_line_buffer(void);
/// Inside a completion: tells libedit not to fall back to file-name completion.
void smsh_edit_completion_over(void);
/// History autosuggestions (after smsh_edit_configure): the rest of the most recent history
/// line that starts with the line typed so far shows dim after the cursor; Right arrow or
/// Ctrl-F at the end of the line takes it. Off unless stdin and stdout are terminals.
void smsh_edit_set_hints(int on);
/// Called when a read is interrupted by a signal: non-zero (Ctrl-C) ends the line with NULL,
/// zero (a window resize) resumes reading.
void smsh_edit_set_interrupt_check(int (*check)(void));

#endif
