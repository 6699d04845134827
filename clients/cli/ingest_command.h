// `abmctl ingest FILE... | -`: streams NDJSON events (the SPEC's JSON form)
// to the server in batches over one IngestStream, without loading files
// whole. Rejected lines (bad JSON, or refused by the server) go to stderr as
// `LINE: reason` (`FILE:LINE: reason` with several files); stdout ends with
// `accepted=N duplicates=M rejected=K`. Returns the exit code: 0 when nothing
// was rejected, 3 when some lines were, 1 when the server failed.
#ifndef ABM_CLIENTS_CLI_INGEST_COMMAND_H_
#define ABM_CLIENTS_CLI_INGEST_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "clients/cli/client.h"

namespace abm::cli {

int RunIngest(const Client& client, const std::vector<std::string>& files,
              int batch_size, std::ostream& out, std::ostream& err);

}  // namespace abm::cli

#endif  // ABM_CLIENTS_CLI_INGEST_COMMAND_H_
