"""Custom Rasa NLU components: catalogue entities and per-message language."""
