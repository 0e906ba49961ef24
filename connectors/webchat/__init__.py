"""Web chat: Rasa's socket.io protocol, with persistent sessions and offline delivery."""

from connectors.webchat.channel import WebChatInput

__all__ = ["WebChatInput"]
