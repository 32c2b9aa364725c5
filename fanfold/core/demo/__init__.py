"""Demo content for a new archive (`fanfold demo`, run by `make run`): generated fandoms,
writers and works, loaded through the same services the site uses."""
