# Shorthands for dev.py; the README's commands work without make too.
.PHONY: run test lint bench
run:
	python3 dev.py run
test:
	python3 dev.py test
lint:
	.venv/bin/ruff check .
bench:
	python3 bench/run.py
