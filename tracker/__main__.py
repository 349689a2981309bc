from tracker.cli import program

program()
