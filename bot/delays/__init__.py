"""Proactive delivery-delay announcements: detect a delay once, announce it exactly once."""
