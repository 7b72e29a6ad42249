"""dondoc: the Telegram bot that follows up committee tasks (đôn đốc)."""
