/* libtach_main: link it to get a main() that runs the registered benchmarks. */
#include <tach.h>

int main(int argc, char **argv)
{
    return tach_main(argc, argv);
}
