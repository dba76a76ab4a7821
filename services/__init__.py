import warnings

# eventlet 0.41 warns on import; its message starts with a newline (see stack.md).
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
