countdown: the Brainfuck lines of Acme::Brainfuck's examples/countdown
(Crowley Public License; see COPYING; the Perl lines around it dropped)
++++++++++[>+>+<<-]
>>+++++++++++++++++++++++++++++++++++++++++++++++<<
++++++++++[>>.-<.<-]
