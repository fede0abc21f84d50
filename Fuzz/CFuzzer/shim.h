// libFuzzer's driver, which the fuzz build's `main` calls (Fuzz/Main/FuzzMain.swift). Only
// declared here: `-sanitize=fuzzer` links libFuzzer into `loket-fuzz`, and nothing else uses it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
