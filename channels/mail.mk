# channels/mail.mk
