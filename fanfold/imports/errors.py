class ImportRefused(Exception):
    """A file or paste that can't be imported. The message is for the writer: it names the
    problem and, where there is one, what to do about it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
