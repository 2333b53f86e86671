# Writes the man page with help2man: `hashjoule --help` and --version, plus
# one section per command from `hashjoule CMD --help`.
# cmake -DHJ=path/to/hashjoule -DHELP2MAN=help2man -DOUT=hashjoule.1 -P manpage.cmake
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
set(include "${dir}/hashjoule.h2m")
set(text "[NAME]\nhashjoule \\- SHA-256d nonce scanning measured in hashes per second and per joule\n\n[COMMANDS]\n")
foreach(cmd info hash scan bench compare fleet)
  execute_process(COMMAND "${HJ}" ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "hashjoule ${cmd} --help failed (${rc})")
  endif()
  # roff: a leading dot or quote would be a request; backslashes are escapes
  string(REPLACE "\\" "\\\\" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND text ".SS \"hashjoule ${cmd}\"\n.nf\n${help}.fi\n")
endforeach()
string(APPEND text "\n[FILES]\n.TP\n.I /usr/share/hashjoule/data/\nthe embedded default data tables (asics, gpus, network, assumptions) as files to copy and edit for \\-\\-asics, \\-\\-gpus, \\-\\-network, \\-\\-assumptions\n.TP\n.I $XDG_DATA_HOME/hashjoule/results/\n`hashjoule bench` writes its results here without \\-\\-out (default ~/.local/share/hashjoule/results/)\n")
file(WRITE "${include}" "${text}")
execute_process(COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1 --include=${include}
                        --output=${OUT} "${HJ}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed: ${err}")
endif()
