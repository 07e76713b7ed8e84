#pragma once

// Reads the stages of a Dockerfile far enough to know which base images a build uses, so
// their local ids can go into the build hash: an upgraded base must trigger a rebuild even
// when the context did not change.
//
// Covered, as the classic builder reads them:
//   - the `# escape=` parser directive, line continuations, comment lines (also inside a
//     continued instruction), keywords in any case;
//   - `FROM [--platform=...] image [AS name]`, several stages, and `FROM <earlier stage>`;
//   - ARGs declared before the first FROM, with their defaults, overridden by build args,
//     substituted into FROM as $NAME, ${NAME}, ${NAME:-default} and ${NAME:+alternative}.
// Not covered: `COPY --from=<image>` and `RUN --mount=from=<image>` (BuildKit mounts) do
// not count as bases; a FROM whose variables are not declared ARGs substitutes "" as the
// builder does, which leaves no base to resolve.

#include <map>
#include <string>
#include <vector>

namespace stack::orchestrator::images {

struct DockerfileStage {
  std::string base;         // the FROM image after substitution, or the earlier stage's name
  std::string name;         // after AS, lower case; "" when unnamed
  bool from_stage = false;  // `base` names an earlier stage
};

// The stages in order. Never throws: text that is not a Dockerfile gives no stages.
std::vector<DockerfileStage> parseDockerfileStages(const std::string& dockerfile,
                                                   const std::map<std::string, std::string>& args);

// The images the classic builder needs to build `target` ("" = the last stage): the bases
// of every stage up to and including the target that are neither `scratch` nor an earlier
// stage, first use first, without repeats. An unknown target counts every stage.
std::vector<std::string> baseImages(const std::vector<DockerfileStage>& stages,
                                    const std::string& target);

}  // namespace stack::orchestrator::images
