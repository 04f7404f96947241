# tests/unit/lib.mk: unit tests of lib/ (config, time, slots, store, domain)
