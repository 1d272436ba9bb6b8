# Shared by the test suites under tests/.
#
# $(call ds_suite,NAME,TARGETS,COMMAND...): build TARGETS, then run COMMAND
# as suite NAME through mk/run-suite.sh. The build happens inside the recipe
# (one at a time, under a lock) so that a test that no longer compiles shows
# up as a failed suite instead of a suite that silently never ran, or a stale
# binary that still passes.
ds_suite = mkdir -p $(BUILD); \
	if flock $(BUILD)/.suite-build.lock $(MAKE) --no-print-directory $(2); then \
		mk/run-suite.sh $(1) $(3); \
	else \
		mk/run-suite.sh $(1) sh -c 'echo "not ok 1 - $(1): build failed"; exit 1'; \
	fi
