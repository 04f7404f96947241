# gateway/local.mk
