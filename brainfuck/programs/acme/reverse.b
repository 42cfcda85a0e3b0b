reverse: the Brainfuck lines of Acme::Brainfuck's examples/reverse
(Crowley Public License; see COPYING; the Perl lines around it dropped and one move right put first so the final move left stays on the tape)
  >+[->,----------]<
  [+++++++++++.<]<
