# channels/sms.mk
