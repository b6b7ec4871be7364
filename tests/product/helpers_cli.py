"""What the tests of the command line share."""


def one_line(capsys) -> str:
    """The command's error, read from stderr: one line, no traceback."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err
