// GNU readline for the LossLang REPL (Debian/Ubuntu: apt install libreadline-dev).
// readline.h uses FILE without including <stdio.h>, so include it first.
#ifndef LOSSLANG_CREADLINE_SHIM_H
#define LOSSLANG_CREADLINE_SHIM_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
#endif
