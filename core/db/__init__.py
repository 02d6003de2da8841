"""What the project adds to Django's database backends."""


def prepared_cursor(connection):
    """A cursor whose statements the database plans once per connection where the backend offers it
    (core.db.postgresql), else an ordinary cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
