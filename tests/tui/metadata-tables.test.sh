#!/usr/bin/env bash
# The overview never lists the metadata tables among the lakehouse's tables: not under the
# default Tables/metadata, nor under a profile's own metadata_location.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
tui_make_table "$T_DIR/lake" metadata/SyncAuditLog
tui_make_table "$T_DIR/lake" _lr/CheckpointHistory
cat >"$T_DIR/config.yaml" <<YAML
profiles:
  default:
    lakehouse: lake
    metadata_location: Tables/_lr
YAML
cat >"$T_DIR/config-default.yaml" <<YAML
profiles:
  default:
    lakehouse: lake
    parallel: 2
YAML

# Default location: Tables/metadata/* is left out, Tables/_lr/* is an ordinary table.
tui_start 100 24 -- --config "$T_DIR/config-default.yaml" --lakehouse lake
tui_wait_for "Tables (3)"
screen_lacks "SyncAuditLog" || tui_fail "a metadata table is listed"
tui_stop

# The profile's metadata_location: Tables/_lr/* is left out instead.
tui_start 100 24 -- --config "$T_DIR/config.yaml" --lakehouse lake
tui_wait_for "Tables (3)"
screen_lacks "CheckpointHistory" || tui_fail "the profile's metadata table is listed"
tui_expect_screen metadata-location
