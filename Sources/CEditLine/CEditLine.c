#define _GNU_SOURCE
#include "CEditLine.h"

#include <dlfcn.h>
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

// libedit's native (histedit) interface, looked up by name. The native interface rather than
// the readline-compatible one because autosuggestions need the EditLine itself: a key
// function that edits the line and a read hook that draws after libedit's refresh.
static struct {
    int tried;
    const char *error;
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    const char *(*el_gets)(EditLine *, int *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    const LineInfo *(*el_line)(EditLine *);
    const LineInfoW *(*el_wline)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    void (*el_deletestr)(EditLine *, int);
    int (*el_winsertstr)(EditLine *, const wchar_t *);
    int (*el_cursor)(EditLine *, int);
    int (*el_source)(EditLine *, const char *);
    History *(*history_init)(void);
    int (*history)(History *, HistEvent *, int, ...);
    // The completion engine libedit's own rl_complete uses.
    int (*fn_complete2)(EditLine *, char *(*)(const char *, int), char **(*)(const char *, int, int),
                        const wchar_t *, const wchar_t *, const char *(*)(const char *), size_t,
                        int *, int *, int *, int *, unsigned int);
} edit;

static EditLine *el;
static History *hist;
static char *prompt_text;
static wchar_t *word_breaks;
static smsh_edit_completion_fn completion;
static int completion_over, completion_type, completion_point, completion_end;
static char *line_copy;
static int (*interrupted)(void);
// Suggestions on (the profile's `hints`, a terminal), and how many columns of a suggestion
// are on screen after the line (libedit does not know they are there).
static int hints_on, hint_columns;
// Whether lines are drawn again after libedit's refresh (stdin and stdout terminals).
static int redraw_on;

static void *symbol(void *lib, const char *name) {
    void *p = dlsym(lib, name);
    if (p == NULL && edit.error == NULL) edit.error = "libedit.so.2 lacks a needed function";
    return p;
}

int smsh_edit_load(void) {
    if (edit.tried) return edit.error == NULL;
    edit.tried = 1;
    void *lib = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        edit.error = "libedit.so.2 not found (apt install libedit2)";
        return 0;
    }
    edit.el_init = symbol(lib, "el_init");
    edit.el_gets = symbol(lib, "el_gets");
    edit.el_set = symbol(lib, "el_set");
    edit.el_get = symbol(lib, "el_get");
    edit.el_line = symbol(lib, "el_line");
    edit.el_wline = symbol(lib, "el_wline");
    edit.el_insertstr = symbol(lib, "el_insertstr");
    edit.el_deletestr = symbol(lib, "el_deletestr");
    edit.el_winsertstr = symbol(lib, "el_winsertstr");
    edit.el_cursor = symbol(lib, "el_cursor");
    edit.el_source = symbol(lib, "el_source");
    edit.history_init = symbol(lib, "history_init");
    edit.history = symbol(lib, "history");
    edit.fn_complete2 = symbol(lib, "fn_complete2");
    if (edit.error != NULL) dlclose(lib);
    return edit.error == NULL;
}

const char *smsh_edit_error(void) {
    return edit.error;
}

static char *prompt_function(EditLine *e) {
    (void)e;
    return prompt_text != NULL ? prompt_text : "";
}

// Like readline's rl_completion_append_character = 0: nothing after a completed word.
static const char *append_nothing(const char *word) {
    (void)word;
    return "";
}

static unsigned char complete_command(EditLine *e, int ch) {
    (void)ch;
    return (unsigned char)edit.fn_complete2(e, NULL, completion, word_breaks, word_breaks, append_nothing, 100,
                                            &completion_type, &completion_over, &completion_point, &completion_end, 0);
}

// --- graphemes ---------------------------------------------------------------------------
//
// libedit edits and draws by code point: its screen model holds one character per cell, so a
// zero-width character (a Thai vowel or tone mark above or below its consonant, a combining
// accent) is overwritten by the next one whenever libedit redraws the line from its model, and
// Left/Right/Backspace stop between a consonant and its marks. The screen then differs from
// the line that runs ("สวัสดครZบ" shown, "สวัสดีครZับ" run). So the keys that move or delete one
// character do it by grapheme (a character with the marks and joiners that follow it), and
// after each refresh a line holding zero-width characters is drawn again from the buffer.

/// Whether the character at p belongs to the grapheme of the one before it: zero-width
/// characters (combining and Thai marks, variation selectors), Thai SARA AM (a spacing mark),
/// emoji skin tones, a zero-width joiner and the character after it.
static int joins_previous(const wchar_t *buffer, const wchar_t *p) {
    if (p <= buffer) return 0;
    wchar_t c = *p;
    if (c == 0x200D || p[-1] == 0x200D) return 1;
    if (c == 0x0E33 || (c >= 0x1F3FB && c <= 0x1F3FF)) return 1;
    return c >= 0x300 && wcwidth(c) == 0;
}

/// Code points from the cursor back to the start of the grapheme before it.
static int grapheme_before(const LineInfoW *li) {
    const wchar_t *p = li->cursor;
    if (p <= li->buffer) return 0;
    p--;
    while (p > li->buffer && joins_previous(li->buffer, p)) p--;
    return (int)(li->cursor - p);
}

/// Code points from the cursor to the end of the grapheme after it.
static int grapheme_after(const LineInfoW *li) {
    const wchar_t *p = li->cursor;
    if (p >= li->lastchar) return 0;
    p++;
    while (p < li->lastchar && joins_previous(li->buffer, p)) p++;
    return (int)(p - li->cursor);
}

static unsigned char backward_grapheme(EditLine *e, int ch) {
    (void)ch;
    int n = grapheme_before(edit.el_wline(e));
    if (n == 0) return CC_ERROR;
    edit.el_cursor(e, -n);
    return CC_CURSOR;
}

static unsigned char delete_grapheme_before(EditLine *e, int ch) {
    (void)ch;
    int n = grapheme_before(edit.el_wline(e));
    if (n == 0) return CC_ERROR;
    edit.el_deletestr(e, n);
    return CC_REFRESH;
}

static unsigned char delete_grapheme_after(EditLine *e, int ch) {
    (void)ch;
    int n = grapheme_after(edit.el_wline(e));
    if (n == 0) return CC_ERROR;
    edit.el_cursor(e, n);
    edit.el_deletestr(e, n);
    return CC_REFRESH;
}

/// The key read_character hands libedit after inserting a mark itself: bound to a full refresh.
#define REFRESH_KEY 0x1E /* ^^ */

static unsigned char refresh_line(EditLine *e, int ch) {
    (void)e;
    (void)ch;
    return CC_REFRESH;
}

static int text_columns(const char *s);
static int wide_columns(const wchar_t *from, const wchar_t *to);
static char *prompt_function(EditLine *e);

/// After libedit's refresh: a line holding zero-width characters is written again from the
/// buffer (libedit's own drawing lost its marks), row by row as libedit lays it out (a
/// character that does not fit goes to the next row; a mark stays with its character), and the
/// cursor is put back where libedit has it: libedit's columns agree with the terminal's (a mark
/// takes none), only the marks were missing. Each row is reached with explicit moves and never
/// written past its last column, so the terminal's own wrapping plays no part. A line holding
/// a newline or a character without a known width, or a prompt as wide as the screen, is left
/// to libedit. 1 when drawn.
static int redraw_graphemes(EditLine *e) {
    const LineInfoW *li = edit.el_wline(e);
    size_t n = (size_t)(li->lastchar - li->buffer);
    size_t at = (size_t)(li->cursor - li->buffer);
    int zero_width = 0;
    for (size_t i = 0; i < n; i++) {
        wchar_t c = li->buffer[i];
        if (c == L'\n' || wcwidth(c) < 0) return 0;
        if (c >= 0x300 && wcwidth(c) == 0) zero_width = 1;
    }
    if (!zero_width) return 0;
    int columns = 0;
    if (edit.el_get(e, EL_GETTC, "co", &columns, NULL) != 0 || columns <= 0) columns = 80;
    int prompt = text_columns(prompt_function(e));
    if (prompt < 0 || prompt >= columns) return 0;
    // The layout libedit's refresh makes (re_putc): each character's row, the cursor's place.
    int *row = malloc((n + 1) * sizeof(int));
    char *bytes = malloc(n * MB_LEN_MAX + 1);
    if (row == NULL || bytes == NULL) {
        free(row);
        free(bytes);
        return 0;
    }
    int h = prompt, v = 0, cursor_h = 0, cursor_v = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == at) cursor_h = h, cursor_v = v;
        int w = wcwidth(li->buffer[i]);
        if (w > 0 && h + w > columns) h = 0, v++;
        row[i] = (w == 0 && i > 0) ? row[i - 1] : v;
        h += w;
        if (h >= columns) h = 0, v++;
    }
    if (at >= n) cursor_h = h, cursor_v = v;
    int last = v;
    if (cursor_v > 0) fprintf(stdout, "\033[%dA", cursor_v);
    size_t i = 0;
    for (int r = 0; r <= last; r++) {
        if (r > 0) fputs("\r\033[B", stdout);
        else fputc('\r', stdout);
        int width = r == 0 ? prompt : 0;
        if (r == 0 && prompt > 0) fprintf(stdout, "\033[%dC", prompt);
        size_t used = 0;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        for (; i < n && row[i] == r; i++) {
            size_t k = wcrtomb(bytes + used, li->buffer[i], &state);
            if (k != (size_t)-1) used += k;
            width += wcwidth(li->buffer[i]);
        }
        fwrite(bytes, 1, used, stdout);
        // A full row leaves the cursor on its last column: erasing there would take that character.
        if (width < columns) fputs("\033[K", stdout);
    }
    fputc('\r', stdout);
    if (last > cursor_v) fprintf(stdout, "\033[%dA", last - cursor_v);
    if (cursor_h > 0) fprintf(stdout, "\033[%dC", cursor_h);
    fflush(stdout);
    free(row);
    free(bytes);
    return 1;
}

// --- autosuggestions -------------------------------------------------------------------

/// The rest of the most recent single-line history entry that starts with the whole line
/// (which must be non-empty), or NULL.
static const char *suggestion(EditLine *e) {
    const LineInfo *li = edit.el_line(e);
    size_t n = (size_t)(li->lastchar - li->buffer);
    if (n == 0 || memchr(li->buffer, '\n', n) != NULL) return NULL;
    HistEvent ev;
    for (int r = edit.history(hist, &ev, H_FIRST); r != -1; r = edit.history(hist, &ev, H_NEXT)) {
        const char *s = ev.str;
        if (s == NULL || strncmp(s, li->buffer, n) != 0 || s[n] == '\0' || strchr(s, '\n') != NULL) continue;
        return s + n;
    }
    return NULL;
}

/// Screen columns of text; -1 when unknown (a byte the locale cannot decode, a control
/// character), and then no suggestion is drawn rather than a misplaced one.
static int text_columns(const char *s) {
    wchar_t w[1024];
    size_t n = mbstowcs(w, s, 1023);
    if (n == (size_t)-1 || n >= 1023) return -1;
    return wcswidth(w, n);
}

static int wide_columns(const wchar_t *from, const wchar_t *to) {
    if (to <= from) return 0;
    return wcswidth(from, (size_t)(to - from));
}

/// After libedit has drawn the line: clears the previous suggestion and, with the cursor at
/// the end, shows the current one dim after it, the cursor staying where it was. Only when
/// prompt, line and suggestion fit on one screen row (relative cursor moves cannot wrap).
static void draw_hint(EditLine *e, int show) {
    if (!hints_on && hint_columns == 0) return;
    const LineInfoW *li = edit.el_wline(e);
    int columns = 0;
    if (edit.el_get(e, EL_GETTC, "co", &columns, NULL) != 0 || columns <= 0) columns = 80;
    int prompt = text_columns(prompt_function(e)), line = wide_columns(li->buffer, li->lastchar);
    int before = prompt < 0 || line < 0 ? -1 : prompt + line;
    const char *rest = (show && hints_on && li->cursor == li->lastchar) ? suggestion(e) : NULL;
    int rest_columns = rest ? text_columns(rest) : 0;
    if (before < 0 || rest_columns < 0 || before + rest_columns >= columns) rest = NULL;
    if (hint_columns == 0 && rest == NULL) return;
    if (before < 0 || before >= columns) {
        // The line wraps: libedit redrew those rows itself; nothing of ours to place.
        hint_columns = 0;
        return;
    }
    int right = wide_columns(li->cursor, li->lastchar);
    if (right < 0) {
        hint_columns = 0;
        return;
    }
    if (right > 0) fprintf(stdout, "\033[%dC", right);
    fputs("\033[K", stdout);
    int back = right;
    if (rest != NULL) {
        fputs("\033[2m", stdout);
        fputs(rest, stdout);
        fputs("\033[0m", stdout);
        back += rest_columns;
    }
    if (back > 0) fprintf(stdout, "\033[%dD", back);
    fflush(stdout);
    hint_columns = rest != NULL ? rest_columns : 0;
}

/// Right arrow and Ctrl-F: take the suggestion when the cursor is at the end, else move
/// right as they normally do.
static unsigned char accept_hint(EditLine *e, int ch) {
    (void)ch;
    const LineInfoW *li = edit.el_wline(e);
    if (li->cursor < li->lastchar) {
        edit.el_cursor(e, grapheme_after(li));
        return CC_CURSOR;
    }
    const char *rest = hints_on ? suggestion(e) : NULL;
    if (rest == NULL) return CC_NORM;
    edit.el_insertstr(e, rest);
    return CC_REFRESH;
}

/// libedit's character reader, with the suggestion drawn before each wait for a key (libedit
/// has refreshed the line by then). It is cleared before any control key (Enter, Backspace,
/// arrows, Tab, Ctrl-R, ...) reaches libedit, and on Ctrl-C and end of input, so libedit's
/// own drawing never meets it. Decodes UTF-8 as libedit's reader does; Ctrl-C (the REPL's
/// flag) ends the line, other signals (a resize) just resume the read.
static int read_character(EditLine *e, wchar_t *out) {
    if (redraw_on && redraw_graphemes(e)) hint_columns = 0;  // the redraw cleared the rest of the row
    draw_hint(e, 1);
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        ssize_t r = read(STDIN_FILENO, &bytes[count], 1);
        if (r < 0) {
            if (errno == EINTR && !(interrupted != NULL && interrupted())) continue;
            int saved = errno;
            draw_hint(e, 0);
            errno = saved;
            *out = L'\0';
            return -1;
        }
        if (r == 0) {
            draw_hint(e, 0);
            *out = L'\0';
            return 0;
        }
        count++;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t n = mbrtowc(out, bytes, count, &state);
        if (n == (size_t)-2 && count < sizeof bytes) continue;  // more bytes of one character
        if (n == (size_t)-1 || n == (size_t)-2) {
            count = 0;  // an invalid sequence is dropped, as libedit does
            continue;
        }
        break;
    }
    if (*out < 0x20 || *out == 0x7f) draw_hint(e, 0);
    // A mark typed at the end of the line would take libedit's fast path, which counts it as
    // one column (re_fastputc advances its cursor for every character): from then on libedit's
    // idea of where the cursor is differs from the terminal's, and its later moves land on the
    // wrong column or row. Insert the mark here and let libedit refresh the line instead.
    if (redraw_on && *out >= 0x300 && wcwidth(*out) == 0) {
        const LineInfoW *li = edit.el_wline(e);
        if (li->cursor == li->lastchar) {
            wchar_t mark[2] = {*out, L'\0'};
            if (edit.el_winsertstr(e, mark) == 0) {
                draw_hint(e, 0);
                *out = REFRESH_KEY;
            }
        }
    }
    return 1;
}

void smsh_edit_configure(const char *name, const char *breaks, smsh_edit_completion_fn fn) {
    if (!smsh_edit_load() || el != NULL) return;
    completion = fn;
    size_t n = strlen(breaks);
    word_breaks = calloc(n + 1, sizeof(wchar_t));
    for (size_t i = 0; i < n; i++) word_breaks[i] = (wchar_t)(unsigned char)breaks[i];
    // The terminal's character set (LANG, LC_ALL, LC_CTYPE), so libedit reads and shows
    // UTF-8 text such as Thai message content; only LC_CTYPE: numbers keep Lua's C format.
    setlocale(LC_CTYPE, "");
    // No locale set (or "C"): a terminal sends UTF-8 today, and in the C locale libedit would
    // drop every byte of "สวัสดี" as undecodable. C.UTF-8 is in every glibc since 2.35.
    if (MB_CUR_MAX == 1) {
        const char *now = setlocale(LC_CTYPE, NULL);
        if (now != NULL && (strcmp(now, "C") == 0 || strcmp(now, "POSIX") == 0)) setlocale(LC_CTYPE, "C.UTF-8");
    }
    el = edit.el_init(name, stdin, stdout, stderr);
    hist = edit.history_init();
    if (el == NULL || hist == NULL) {
        edit.error = "libedit could not start";
        return;
    }
    HistEvent ev;
    edit.history(hist, &ev, H_SETSIZE, INT_MAX);
    edit.el_set(el, EL_HIST, edit.history, hist);
    edit.el_set(el, EL_PROMPT, prompt_function);
    edit.el_set(el, EL_SIGNAL, 1);
    edit.el_set(el, EL_EDITOR, "emacs");
    edit.el_set(el, EL_GETCFN, read_character);
    edit.el_set(el, EL_ADDFN, "smsh-complete", "complete the word at the cursor", complete_command);
    edit.el_set(el, EL_BIND, "^I", "smsh-complete", NULL);
    // The keys libedit's readline interface binds: Ctrl-R searches back, Home/End/Delete.
    edit.el_set(el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    static const char *const moves[][2] = {
        {"\\e[1~", "ed-move-to-beg"}, {"\\e[4~", "ed-move-to-end"}, {"\\e[7~", "ed-move-to-beg"},
        {"\\e[8~", "ed-move-to-end"}, {"\\e[H", "ed-move-to-beg"}, {"\\e[F", "ed-move-to-end"},
        {"\\e[3~", "ed-delete-next-char"}, {"\\e[2~", "ed-quoted-insert"}, {"\\e[1;5C", "em-next-word"},
        {"\\e[1;5D", "ed-prev-word"}, {"\\e[5C", "em-next-word"}, {"\\e[5D", "ed-prev-word"},
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) edit.el_set(el, EL_BIND, moves[i][0], moves[i][1], NULL);
    // Left, Right, Backspace and Delete by grapheme (see redraw_graphemes).
    edit.el_set(el, EL_ADDFN, "smsh-backward-char", "move back one character (with its marks)", backward_grapheme);
    edit.el_set(el, EL_ADDFN, "smsh-forward-char", "move forward one character (with its marks); at the end take the suggestion", accept_hint);
    edit.el_set(el, EL_ADDFN, "smsh-delete-prev-char", "delete the character (with its marks) before the cursor", delete_grapheme_before);
    edit.el_set(el, EL_ADDFN, "smsh-delete-next-char", "delete the character (with its marks) at the cursor", delete_grapheme_after);
    edit.el_set(el, EL_ADDFN, "smsh-refresh-line", "draw the line again", refresh_line);
    static const char *const graphemes[][2] = {
        {"^B", "smsh-backward-char"}, {"\\e[D", "smsh-backward-char"}, {"\\eOD", "smsh-backward-char"},
        {"^F", "smsh-forward-char"}, {"\\e[C", "smsh-forward-char"}, {"\\eOC", "smsh-forward-char"},
        {"^H", "smsh-delete-prev-char"}, {"^?", "smsh-delete-prev-char"}, {"\\e[3~", "smsh-delete-next-char"},
        {"^^", "smsh-refresh-line"},
    };
    for (size_t i = 0; i < sizeof graphemes / sizeof graphemes[0]; i++) edit.el_set(el, EL_BIND, graphemes[i][0], graphemes[i][1], NULL);
    redraw_on = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    edit.el_source(el, NULL);
}

void smsh_edit_set_hints(int on) {
    if (!smsh_edit_load() || el == NULL) return;
    hints_on = on && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    // Right and Ctrl-F (smsh-forward-char, bound in smsh_edit_configure) take a suggestion.
}

void smsh_edit_set_interrupt_check(int (*check)(void)) {
    interrupted = check;
}

char *smsh_edit_readline(const char *prompt) {
    if (smsh_edit_load() && el != NULL) {
        free(prompt_text);
        prompt_text = strdup(prompt);
        hint_columns = 0;
        int count = 0;
        const char *line = edit.el_gets(el, &count);
        if (line == NULL || count <= 0) return NULL;
        char *copy = strdup(line);
        size_t n = strlen(copy);
        if (n > 0 && copy[n - 1] == '\n') copy[n - 1] = '\0';
        return copy;
    }
    // No libedit: a plain line from stdin.
    fputs(prompt, stdout);
    fflush(stdout);
    char *line = NULL;
    size_t size = 0;
    ssize_t n = getline(&line, &size, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    return line;
}

void smsh_edit_add_history(const char *line) {
    if (smsh_edit_load() && hist != NULL) {
        HistEvent ev;
        edit.history(hist, &ev, H_ENTER, line);
    }
}

const char *smsh_edit_line_buffer(void) {
    if (!smsh_edit_load() || el == NULL) return NULL;
    const LineInfo *li = edit.el_line(el);
    size_t n = (size_t)(li->lastchar - li->buffer);
    free(line_copy);
    line_copy = malloc(n + 1);
    if (line_copy == NULL) return NULL;
    memcpy(line_copy, li->buffer, n);
    line_copy[n] = '\0';
    return line_copy;
}

void smsh_edit_completion_over(void) {
    completion_over = 1;
}
