"""``python -m rashomon`` runs the command-line interface (same as the ``rashomon`` script)."""

from rashomon.cli import main

if __name__ == "__main__":
    main()
