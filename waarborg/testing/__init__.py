"""Test support shared by every app: factories for all models, personas and fixtures."""
