"""The person at the keyboard: their OS account, their folders and their preferences."""
