#define _GNU_SOURCE
#include "CEditLine.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The readline-compatible symbols of libedit (see <editline/readline.h>), looked up by name.
static struct {
    int tried;
    const char *error;
    char *(*readline)(const char *);
    int (*add_history)(const char *);
    int (*rl_initialize)(void);
    const char **rl_readline_name;
    int *rl_completion_append_character;
    const char **rl_basic_word_break_characters;
    smsh_edit_completion_fn *rl_attempted_completion_function;
    int *rl_attempted_completion_over;
    char **rl_line_buffer;
} edit;

static void *symbol(void *lib, const char *name) {
    void *p = dlsym(lib, name);
    if (p == NULL && edit.error == NULL) edit.error = "libedit.so.2 lacks a readline function";
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
    edit.readline = (char *(*)(const char *))symbol(lib, "readline");
    edit.add_history = (int (*)(const char *))symbol(lib, "add_history");
    edit.rl_initialize = (int (*)(void))symbol(lib, "rl_initialize");
    edit.rl_readline_name = (const char **)symbol(lib, "rl_readline_name");
    edit.rl_completion_append_character = (int *)symbol(lib, "rl_completion_append_character");
    edit.rl_basic_word_break_characters = (const char **)symbol(lib, "rl_basic_word_break_characters");
    edit.rl_attempted_completion_function = (smsh_edit_completion_fn *)symbol(lib, "rl_attempted_completion_function");
    edit.rl_attempted_completion_over = (int *)symbol(lib, "rl_attempted_completion_over");
    edit.rl_line_buffer = (char **)symbol(lib, "rl_line_buffer");
    if (edit.error != NULL) dlclose(lib);
    return edit.error == NULL;
}

const char *smsh_edit_error(void) {
    return edit.error;
}

void smsh_edit_configure(const char *name, const char *word_breaks, smsh_edit_completion_fn completion) {
    if (!smsh_edit_load()) return;
    *edit.rl_readline_name = strdup(name);
    edit.rl_initialize();
    *edit.rl_completion_append_character = 0;
    *edit.rl_basic_word_break_characters = strdup(word_breaks);
    *edit.rl_attempted_completion_function = completion;
}

char *smsh_edit_readline(const char *prompt) {
    if (smsh_edit_load()) return edit.readline(prompt);
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
    if (smsh_edit_load()) edit.add_history(line);
}

const char *smsh_edit_line_buffer(void) {
    return smsh_edit_load() ? *edit.rl_line_buffer : NULL;
}

void smsh_edit_completion_over(void) {
    if (smsh_edit_load()) *edit.rl_attempted_completion_over = 1;
}
