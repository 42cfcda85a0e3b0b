jabh: the Brainfuck lines of Acme::Brainfuck's examples/jabh
(Crowley Public License; see COPYING; the Perl print lines dropped)
++++++[>++++++++++++++++<-]>
++.--
>+++[<++++++>-]<.>[-]+++[<------>-]<
+.-
+++++++++.---------
++++++++++++++.--------------
++++++.------
>+++[<+++++++>-]<.>[-]+++[<------->-]<
+++.---
+++++++++++.-----------
