# web/local.mk
