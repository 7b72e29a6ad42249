"""Telegram handlers: thin adapters that parse, call a service, render and reply."""
