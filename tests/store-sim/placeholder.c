/* placeholder until the simulator lands */ int store_sim_placeholder(void); int store_sim_placeholder(void){return 0;}
